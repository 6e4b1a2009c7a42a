"""Reproducible companion to the VPT paper: state, market, mining and audit code."""

__version__ = "0.1.0"
