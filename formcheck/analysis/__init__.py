"""From a PoseTrack to the numbers formcheck reports (``analyze_track``) and their files."""
