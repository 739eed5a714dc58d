"""Writes: every change to the data goes through a function here.

Functions are keyword-only and named ``<thing>_<action>``; each write is atomic.
"""
