"""Posture per frame (trunk lean, head and neck) and its drift as the runner tires."""
