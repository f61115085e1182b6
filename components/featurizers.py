"""Rasa's count-vector featurizer with the whole-message vector no longer than a short message's.

Why: the sentence feature of `CountVectorsFeaturizer` counts every word (or
character n-gram) of the message, so its size grows with the message. DIET
turns it into an embedding without normalising it, and its confidence is a
softmax over dot products with the intent embeddings: the longer the message,
the larger the products and the closer the top confidence is to 1.0, right or
wrong. Measured on the held-out sets (`make evaluate`), DIET's wrong answers on
messages of 25-50 words had a median confidence of 0.99, against 0.5-0.6 on
messages of under 6 words, so the fallback threshold could not catch them.
Scaling a long message's vector down to the length of a short one keeps what
the message says (which words, in which proportion) and drops how long it is.
The length is `sentence_norm` in config.yml: that of a typical short message
(measured: about 2 for words, 9 for character n-grams; a 40-word message had 7
and 100). Shorter vectors are left alone: scaled up, a message of a few known
words (or markup) looked as sure as a real question; scaled to 1, the FAQ
selector no longer learned. The per-token (sequence) features are unchanged.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer

Features = List[Optional[scipy.sparse.spmatrix]]


SENTENCE_NORM = "sentence_norm"


def scaled(matrix: Optional[scipy.sparse.spmatrix], length: float) -> Optional[scipy.sparse.spmatrix]:
    """Each row longer than `length` scaled down to it; shorter rows are left as
    they are (scaling them up would make a message of a few known words, or
    markup, look as sure as a whole question)."""
    if matrix is None:
        return None
    rows = matrix.tocsr().astype("float32")
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1))).ravel()
    factors = np.where(norms > length, length / np.maximum(norms, 1e-12), 1.0)
    return scipy.sparse.diags(factors.astype("float32")).dot(rows).tocoo()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class LengthNormalizedCountVectorsFeaturizer(CountVectorsFeaturizer):
    """Trains and featurizes as Rasa's CountVectorsFeaturizer; the sentence vector has a fixed length."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**CountVectorsFeaturizer.get_default_config(), SENTENCE_NORM: 1.0}

    def _create_features(self, attribute: Text, all_tokens: List[List[Text]]) -> Tuple[Features, Features]:
        sequence, sentence = super()._create_features(attribute, all_tokens)
        return sequence, [scaled(s, float(self._config[SENTENCE_NORM])) for s in sentence]
