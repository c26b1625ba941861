"""From raw landmarks to clean, filtered, y-up body coordinates and angles."""
