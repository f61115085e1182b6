"""Fixes for Rasa 3.6's hottest avoidable costs, found with py-spy (README, "Benchmark").

1. Rasa checks every reply of the action server with `jsonschema.validate(reply,
   schema)`, which first validates the *schema itself* against the JSON Schema
   meta-schema, on every call: 40% of the Rasa server's CPU time per message in
   the symptom check. A validator built once for the same schema reports the
   same errors (jsonschema's best match, with Rasa's hint appended).
2. Loading a conversation turns each stored event into its class with
   `Event.resolve_by_type`, which walks every subclass of `Event` (with an
   `inspect.isabstract` check each) for every event. A table built from the
   same walk gives the same class; an unknown name still goes the old way.
"""
from __future__ import annotations

from typing import Any, Dict, Text

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    from jsonschema import exceptions, validators
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)  # once, instead of on every reply
    validator = validator_class(schema)

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        error = exceptions.best_match(validator.iter_errors(result))
        if error is not None:
            error.message += (
                ". Failed to validate Action server response from API, "
                "make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise error
        return True

    RemoteAction._validate_action_result = _validate_action_result
    _cache_event_classes()
    _installed = True


def _cache_event_classes() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    original = Event.resolve_by_type
    classes: Dict[Text, Any] = {}

    def resolve_by_type(type_name: Text, default: Any = None) -> Any:
        if type_name not in classes:
            for cls in all_subclasses(Event):  # first match wins, as in Rasa
                classes.setdefault(cls.type_name, cls)
        found = classes.get(type_name)
        return found if found is not None else original(type_name, default)

    Event.resolve_by_type = staticmethod(resolve_by_type)
