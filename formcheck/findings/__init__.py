"""The answer: causes of a lower-back pump ranked from the video, the logs and the answers (pure functions)."""
