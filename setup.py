"""Build the one C extension, govdisclose._core; everything else is in pyproject.toml.

Build toggles (environment variables):
  GOVDISCLOSE_SANITIZE=1  AddressSanitizer + UndefinedBehaviorSanitizer build
  GOVDISCLOSE_DEBUG=1     no optimisation, debug info, assertions on
"""
import os
from glob import glob

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# gcc, clang and MinGW take these; MSVC (Windows wheels) takes its own below.
compile_args = ["-std=c11", "-Wall", "-Wextra", "-Wshadow"]
link_args = []

if os.environ.get("GOVDISCLOSE_SANITIZE") == "1":
    sanitize = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-g", "-O1"]
    compile_args += sanitize
    link_args += sanitize

if os.environ.get("GOVDISCLOSE_DEBUG") == "1":
    compile_args += ["-O0", "-g", "-UNDEBUG"]

# /utf-8: the sources' Chinese string literals are UTF-8, and MSVC would
# otherwise read them in the machine's code page (GBK on a Chinese Windows).
# No /std:c11: the code needs nothing beyond MSVC's default C (tests/ci_cross.sh
# compiles it -pedantic, without VLAs), and that default is what Python's own
# headers are built and tested with there.
MSVC_ARGS = ["/utf-8", "/W3"]


class BuildExt(build_ext):
    """Chooses the flags by the compiler setuptools picked."""

    def build_extensions(self):
        if self.compiler.compiler_type == "msvc":
            for ext in self.extensions:
                ext.extra_compile_args = list(MSVC_ARGS)
                ext.extra_link_args = []
        super().build_extensions()


setup(
    cmdclass={"build_ext": BuildExt},
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
