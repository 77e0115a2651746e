"""The one compiled part of Qalxan: the sweep's line scanner (everything else is in pyproject.toml)."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "qalxan.intel.sweep._scan",
            ["src/qalxan/intel/sweep/_scan.c"],
            extra_compile_args=["-O3", "-std=c11"],
        )
    ]
)
