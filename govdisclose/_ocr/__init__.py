"""OCR of scanned reports and pasted table images (the extra govdisclose[ocr])."""
