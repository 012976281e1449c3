"""Printed reports of a station's or supervisor's laptop: the monthly coverage report (考核) and the
charts it shares with the coverage dashboard."""
