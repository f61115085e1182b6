"""deploy/speedups.py changes how fast Rasa does two things, never what they give."""
from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

from deploy import speedups

VALID = {"events": [{"event": "slot", "name": "triage_level", "value": "routine"}],
         "responses": [{"response": "utter_greet"}]}


def test_action_replies_are_checked_against_the_same_schema():
    speedups.install()
    action = RemoteAction("action_give_triage_result", None)
    assert action._validate_action_result(VALID) is True
    assert action._validate_action_result({}) is True
    for invalid in ({"events": "not a list"}, {"events": [{"name": "no event type"}]},
                    {"responses": "x"}, {"events": [{"event": 3}]}):
        with pytest.raises(jsonschema.ValidationError) as patched:
            action._validate_action_result(invalid)
        with pytest.raises(jsonschema.ValidationError) as stock:
            jsonschema.validate(invalid, RemoteAction.action_response_format_spec())
        assert patched.value.message.startswith(stock.value.message)
        assert "Failed to validate Action server response" in patched.value.message


def test_event_classes_resolve_as_before():
    speedups.install()
    names = {cls.type_name for cls in all_subclasses(Event)}
    for name in names:
        expected = next(cls for cls in all_subclasses(Event) if cls.type_name == name)
        assert Event.resolve_by_type(name) is expected
    assert Event.resolve_by_type("no-such-event", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no-such-event")
