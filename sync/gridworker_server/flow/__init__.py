"""Resident requests' flow on the server (gridworker_shared.domain.request_flow): the state machine's
effects on a request's columns (``state``), applying a step with its authorization, target checks, event
and change-log touches (``apply``), the rows that carry the flow to laptops and to the city platform
(``rows``), departments and API keys (``departments``, ``apikeys``), the city feed (``feed``) and the
demo city's requests (``demo``)."""
