"""The ResponseSelector, asked only about messages whose intent is `faq`.

Rasa's selector picks an FAQ topic for every message, though the topic is only
read when the answer is an FAQ (`action_answer_question` follows the `faq`
intent). On the other messages it cost about 1.5 ms of the server's time each
(`make bench`, py-spy). They now carry an empty selection instead: should an
FAQ answer ever be asked for after one, it finds no topic and asks the person
to rephrase rather than answer an FAQ nobody asked.

A question that is one part of a longer message ("my calf twitches. Is it
ALS?", components/parts.py) gets its topic too, whatever its intent, so that it
is answered next to a description that leads the message.
"""

from __future__ import annotations

import warnings
from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME, RESPONSE_SELECTOR_RETRIEVAL_INTENTS
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.constants import RETRIEVAL_INTENT

from components.parts import PART_KEY

# Rasa's training-data check looks for its ResponseSelector class by identity
# and would warn on every training that the FAQ examples go unused. They don't.
warnings.filterwarnings(
    "ignore",
    message="You have defined training data with examples for training a "
    "response selector, but your NLU configuration does not include",
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqResponseSelector(ResponseSelector):
    """Trains exactly as Rasa's ResponseSelector; predicts for `faq` messages and question parts only."""

    def process(self, messages: List[Message]) -> List[Message]:
        asked = self.component_config[RETRIEVAL_INTENT]
        if asked is None:  # a selector for every retrieval intent: nothing to skip
            return super().process(messages)
        super().process(
            [
                m
                for m in messages
                if (m.get(INTENT) or {}).get(INTENT_NAME_KEY) == asked or getattr(m.get(PART_KEY), "question", False)
            ]
        )
        for message in messages:
            if message.get(RESPONSE_SELECTOR_PROPERTY_NAME) is None:
                message.set(
                    RESPONSE_SELECTOR_PROPERTY_NAME,
                    {RESPONSE_SELECTOR_RETRIEVAL_INTENTS: self.all_retrieval_intents},
                    add_to_output=True,
                )
        return messages
