"""Build the one C extension, govdisclose._core; everything else is in pyproject.toml.

Build toggles (environment variables):
  GOVDISCLOSE_SANITIZE=1  AddressSanitizer + UndefinedBehaviorSanitizer build
  GOVDISCLOSE_DEBUG=1     no optimisation, debug info, assertions on
"""
import os
from glob import glob

from setuptools import Extension, setup

compile_args = ["-std=c11", "-Wall", "-Wextra", "-Wshadow"]
link_args = []

if os.environ.get("GOVDISCLOSE_SANITIZE") == "1":
    sanitize = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-g", "-O1"]
    compile_args += sanitize
    link_args += sanitize

if os.environ.get("GOVDISCLOSE_DEBUG") == "1":
    compile_args += ["-O0", "-g", "-UNDEBUG"]

setup(
    # pip builds in ./build and keeps it: always recompile, so that switching a
    # toggle above never reuses objects built with other flags.
    options={"build_ext": {"force": True}},
    ext_modules=[
        Extension(
            "govdisclose._core",
            sources=sorted(glob("src/**/*.c", recursive=True)),
            include_dirs=["src"],
            # Headers too: pip reuses build/, and a changed struct must rebuild.
            depends=sorted(glob("src/**/*.h", recursive=True)),
            extra_compile_args=compile_args,
            extra_link_args=link_args,
        )
    ]
)
