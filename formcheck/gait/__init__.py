"""Gait from a cleaned body track: which way and from where it was filmed, foot events, strides."""
