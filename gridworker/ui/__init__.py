"""The Qt shell over gridworker.domain and gridworker.store: windows, models, threads."""
