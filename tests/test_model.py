"""The real packaged model, loaded with the network unavailable."""

import socket

import numpy as np
import pytest

pytestmark = pytest.mark.model


def test_default_model_loads_offline_and_embeds(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    def no_network(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    from cluster.encoders.base import get_encoder

    enc = get_encoder()
    assert enc.dim == 384
    v = enc.encode(
        [
            "A strong earthquake struck southern Peru, killing at least nine people.",
            "At least nine people died when a powerful quake hit the south of Peru.",
            "The European Central Bank left interest rates unchanged on Thursday.",
        ]
    )
    assert v.shape == (3, 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3
