"""The count-vector featurizer that scales each whole-message vector to one length."""

from __future__ import annotations

import numpy as np
import scipy.sparse

from components.featurizers import scaled


def test_a_long_message_vector_is_scaled_down_and_keeps_its_proportions_a_short_one_is_kept():
    counts = scipy.sparse.coo_matrix(np.array([[1, 0, 2, 0], [30, 10, 0, 20], [0, 0, 0, 0]]))
    out = scaled(counts, 9.0).toarray()
    assert np.allclose(out[0], [1, 0, 2, 0])  # shorter than 9: left as it is
    assert np.isclose(np.linalg.norm(out[1]), 9.0)
    assert np.allclose(out[1] / out[1, 0], [1, 1 / 3, 0, 2 / 3])  # what the message says is unchanged
    assert np.allclose(out[2], 0)  # an empty message stays empty
    assert scaled(None, 9.0) is None
