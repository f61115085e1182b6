"""The count-vector featurizer that scales each whole-message vector to one length."""
from __future__ import annotations

import numpy as np
import scipy.sparse

from components.featurizers import scaled


def test_every_message_vector_gets_the_same_length_and_keeps_its_proportions():
    counts = scipy.sparse.coo_matrix(np.array([[1, 0, 2, 0], [30, 10, 0, 20], [0, 0, 0, 0]]))
    out = scaled(counts, 9.0).toarray()
    assert np.allclose(np.linalg.norm(out[:2], axis=1), 9.0)
    assert np.allclose(out[0] / out[0, 0], [1, 0, 2, 0])  # what the message says is unchanged
    assert np.allclose(out[2], 0)  # an empty message stays empty
    assert scaled(None, 9.0) is None
