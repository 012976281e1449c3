"""The reviewer's workspace (a station's or supervisor's laptop)."""
