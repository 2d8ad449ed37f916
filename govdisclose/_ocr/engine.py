"""The OCR engine: RapidOCR's PP-OCRv4 detection and recognition models on ONNX Runtime.

The models ship inside the ``rapidocr-onnxruntime`` wheel; they are loaded from
its package folder and nothing is fetched at run time.  Only the two ONNX
sessions and the detector's box finding are borrowed from the package: the
recognition output is decoded here, so that every character keeps its
probability and the engine's other candidates for it (the identity check in
``fix`` chooses among them).

One Engine serves every thread: ONNX Runtime sessions may be run from many
threads at once and release the GIL while they run.  Each run uses one
thread of its own (``THREADS``): parse_many gets its parallelism from running
pages side by side, and one page on one core is what the benchmarks measure.
"""
from __future__ import annotations

import importlib
import math
import threading
from pathlib import Path
from typing import Any, List, NamedTuple, Optional, Sequence, Tuple

__all__ = ["Engine", "Char", "Reading", "engine", "available", "INSTALL_HINT", "NAME"]

INSTALL_HINT = "pip install 'govdisclose[ocr]'"
NAME = "RapidOCR PP-OCRv4 (ONNX Runtime)"

# ONNX Runtime threads per run: one, so that pages run side by side scale
# with the cores and a single page's time is one core's.
THREADS = 1
# The detector sees pages scaled so that their longer side is at most this
# (RapidOCR's own default; the models were trained on such sizes).
DET_MAX_SIDE = 2000
# Candidate characters below this probability are noise, not alternatives.
MIN_ALTERNATIVE = 0.02
# At most this many alternatives are kept per character.
MAX_ALTERNATIVES = 3
# Text lines recognised in one model run (sorted by width, as RapidOCR does).
REC_BATCH = 8
# Narrow crops (a cell's number) are padded to this width:height ratio, not
# to RapidOCR's 320:48: the model reads them as well, at a fraction of the work.
MIN_REC_RATIO = 2.0


class Char(NamedTuple):
    """One recognised character: its probability, and the engine's other
    candidates for it (character, probability), most likely first."""

    char: str
    prob: float
    alternatives: Tuple[Tuple[str, float], ...]


class Reading(NamedTuple):
    """The text the engine read in one crop, character by character."""

    chars: Tuple[Char, ...]

    @property
    def text(self) -> str:
        return "".join(c.char for c in self.chars)

    @property
    def confidence(self) -> float:
        return min((c.prob for c in self.chars), default=0.0)


def _modules() -> Optional[Tuple[Any, Any, Any, Any, Any]]:
    try:
        np = importlib.import_module("numpy")
        cv2 = importlib.import_module("cv2")
        rapid = importlib.import_module("rapidocr_onnxruntime")
        det = importlib.import_module("rapidocr_onnxruntime.ch_ppocr_det")
        rec = importlib.import_module("rapidocr_onnxruntime.ch_ppocr_rec")
    except ImportError:
        return None
    return np, cv2, rapid, det, rec


def available() -> bool:
    """Whether the ocr extra is installed (its import works)."""
    return _modules() is not None


class Engine:
    """Text boxes and their readings for grey page images (numpy uint8 arrays)."""

    def __init__(self) -> None:
        mods = _modules()
        if mods is None:
            raise ImportError(f"OCR needs the ocr extra: {INSTALL_HINT}")
        self.np, self.cv2, rapid, det_mod, rec_mod = mods
        self.cv2.setNumThreads(THREADS)
        utils = importlib.import_module("rapidocr_onnxruntime.utils")
        root = Path(rapid.__file__).resolve().parent
        config = utils.update_model_path(utils.read_yaml(root / "config.yaml"))
        for part in ("Det", "Rec"):
            config[part]["intra_op_num_threads"] = THREADS
            config[part]["inter_op_num_threads"] = THREADS
        self.det_utils = importlib.import_module("rapidocr_onnxruntime.ch_ppocr_det.utils")
        self.detector = det_mod.TextDetector(config["Det"])
        self.det_config = config["Det"]
        self.recognizer = rec_mod.TextRecognizer(config["Rec"])
        self.charset: List[str] = self.recognizer.postprocess_op.character

    # ---- detection ---------------------------------------------------------------

    def detect(self, grey: Any) -> List[Any]:
        """Quadrilaterals (4x2 float arrays, page pixels) around the text lines of a
        grey page."""
        np, cv2 = self.np, self.cv2
        h, w = grey.shape[:2]
        scale = min(1.0, DET_MAX_SIDE / max(h, w))
        img = grey if scale == 1.0 else cv2.resize(grey, (int(w * scale), int(h * scale)),
                                                   interpolation=cv2.INTER_AREA)
        rgb = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
        # the longer side bounded (never the shorter raised: a strip would grow huge)
        pre = self.det_utils.DetPreProcess(DET_MAX_SIDE, "max", self.det_config["mean"],
                                           self.det_config["std"])
        tensor = pre(rgb)
        if tensor is None:
            return []
        preds = self.detector.infer(tensor)[0]
        boxes, _ = self.detector.postprocess_op(preds, rgb.shape[:2])
        out = []
        for box in self.detector.filter_tag_det_res(boxes, rgb.shape[:2]):
            out.append(np.asarray(box, dtype=np.float32) / scale)
        return out

    # ---- recognition -------------------------------------------------------------

    def recognize(self, crops: Sequence[Any]) -> List[Reading]:
        """The reading of each crop (grey uint8 arrays holding one line of text)."""
        np = self.np
        order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / max(1, crops[i].shape[0]))
        out: List[Optional[Reading]] = [None] * len(crops)
        _, img_h, img_w = self.recognizer.rec_image_shape
        for start in range(0, len(order), REC_BATCH):
            batch = order[start:start + REC_BATCH]
            ratio = max([MIN_REC_RATIO] + [crops[i].shape[1] / max(1, crops[i].shape[0])
                                           for i in batch])
            tensor = np.concatenate([self._normalised(crops[i], img_h, ratio)[None]
                                     for i in batch]).astype(np.float32)
            preds = self.recognizer.session(tensor)[0]
            for k, i in enumerate(batch):
                out[i] = self._decode(preds[k])
        return [r if r is not None else Reading(()) for r in out]

    def _normalised(self, crop: Any, img_h: int, ratio: float) -> Any:
        np, cv2 = self.np, self.cv2
        width = int(img_h * ratio)
        h, w = crop.shape[:2]
        resized_w = min(width, int(math.ceil(img_h * w / max(1, h))))
        resized = cv2.resize(crop, (max(1, resized_w), img_h)).astype(np.float32)
        resized = (resized / 255.0 - 0.5) / 0.5
        padded = np.zeros((3, img_h, width), dtype=np.float32)
        padded[:, :, :resized_w] = resized[None]
        return padded

    def _decode(self, probs: Any) -> Reading:
        """CTC decoding that keeps, for each character, its best probability
        over the steps it was seen and the other candidates of those steps."""
        np = self.np
        best = probs.argmax(axis=1)
        chars: List[Char] = []
        t, steps = 0, len(best)
        while t < steps:
            idx = int(best[t])
            end = t + 1
            while end < steps and int(best[end]) == idx:
                end += 1
            if idx != 0:  # 0: the CTC blank
                run = probs[t:end]
                peak = run.max(axis=0)
                top = np.argsort(peak)[::-1][:MAX_ALTERNATIVES + 2]
                alts = tuple((self.charset[j], float(peak[j])) for j in top
                             if j != idx and j != 0 and peak[j] >= MIN_ALTERNATIVE
                             )[:MAX_ALTERNATIVES]
                chars.append(Char(self.charset[idx], float(peak[idx]), alts))
            t = end
        return Reading(tuple(chars))


_ENGINE: Optional[Engine] = None
_LOCK = threading.Lock()


def engine() -> Engine:
    """The process's engine, made on first use (loading the models takes a second)."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            _ENGINE = Engine()
        return _ENGINE
