"""The Qt shell over gridworker_shared.domain and gridworker.store: windows, models, threads."""
