"""Choosing the person being filmed: the largest, most central one (known by construction)."""

from __future__ import annotations

from formcheck.pose.choose import Box, choose_runner, runner_score


def test_largest_central_person_wins():
    width, height = 1000, 600
    small_centre = Box(470, 250, 530, 350)
    big_centre = Box(400, 100, 600, 550)
    big_corner = Box(0, 0, 200, 450)
    assert choose_runner([small_centre, big_corner, big_centre], width, height) == big_centre
    assert runner_score(big_centre, width, height) > runner_score(big_corner, width, height)


def test_tiny_passers_by_are_ignored():
    assert choose_runner([Box(10, 10, 20, 40)], 1000, 600) is None


def test_iou():
    a, b = Box(0, 0, 10, 10), Box(5, 0, 15, 10)
    assert a.iou(b) == 50 / 150 and a.iou(a) == 1.0 and a.iou(Box(20, 20, 30, 30)) == 0.0
