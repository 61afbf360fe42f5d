"""Built-in data sets: shapes, classes, ranges, encodings and seeds."""

import numpy as np
import pytest

from explorer.engine.datasets import DATASETS, make_dataset


def test_every_registered_data_set_builds_with_finite_values():
    assert set(DATASETS) == {
        "xor",
        "blobs",
        "circles",
        "spirals",
        "sine",
        "polynomial",
        "lecture",
        "fin",
        "lumped_cooling",
    }
    for name in DATASETS:
        data = make_dataset(name)
        assert data.name == name and data.kind in ("classification", "regression")
        assert data.X.ndim == 2 and data.Y.ndim == 2 and len(data.X) == len(data.Y) == len(data)
        assert np.isfinite(data.X).all() and np.isfinite(data.Y).all()
        assert len(data.input_names) == data.X.shape[1] and len(data.target_names) == data.Y.shape[1]


def test_xor_corners_and_targets():
    data = make_dataset("xor")
    np.testing.assert_array_equal(data.X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(data.Y, [[0], [1], [1], [0]])
    assert data.kind == "classification"
    many = make_dataset("xor", n_samples=10, noise=0.1, seed=2)
    assert many.X.shape == (10, 2)
    np.testing.assert_array_equal(many.Y[:, 0], [0, 1, 1, 0, 0, 1, 1, 0, 0, 1])
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])[np.arange(10) % 4]
    jitter = many.X - corners
    assert 0 < np.abs(jitter).max() < 0.6 and np.abs(jitter).mean() > 0.02


@pytest.mark.parametrize("name", ["xor", "blobs", "circles", "spirals"])
def test_two_class_encodings(name):
    single = make_dataset(name, n_samples=40)
    one_hot = make_dataset(name, n_samples=40, one_hot=True)
    assert single.Y.shape == (40, 1) and set(np.unique(single.Y)) == {0.0, 1.0}
    assert one_hot.Y.shape == (40, 2)
    np.testing.assert_array_equal(one_hot.Y.sum(axis=1), np.ones(40))
    np.testing.assert_array_equal(one_hot.Y[:, 1], single.Y[:, 0])  # column c is 1 for class c
    np.testing.assert_array_equal(single.labels(), one_hot.labels())
    assert np.bincount(single.labels()).tolist() == [20, 20]


def test_blobs_centres():
    data = make_dataset("blobs", n_samples=400, noise=0.3, seed=1)
    labels = data.labels()
    np.testing.assert_allclose(data.X[labels == 0].mean(axis=0), [-1, -1], atol=0.1)
    np.testing.assert_allclose(data.X[labels == 1].mean(axis=0), [1, 1], atol=0.1)
    assert data.X[labels == 1].std(axis=0) == pytest.approx([0.3, 0.3], rel=0.2)


def test_circles_radii():
    data = make_dataset("circles", n_samples=100, noise=0.0, factor=0.4)
    radius = np.hypot(data.X[:, 0], data.X[:, 1])
    labels = data.labels()
    np.testing.assert_allclose(radius[labels == 0], 1.0)
    np.testing.assert_allclose(radius[labels == 1], 0.4)


def test_spirals_interleave_inside_the_unit_disc():
    data = make_dataset("spirals", n_samples=200, turns=2.0)
    radius = np.hypot(data.X[:, 0], data.X[:, 1])
    assert radius.max() <= 1.0 + 1e-12 and radius.min() > 0.05
    labels = data.labels()
    # Each arm is the other turned by half a circle: negate one arm's points to get the other's.
    np.testing.assert_allclose(data.X[labels == 1], -data.X[labels == 0], atol=1e-12)
    # Going outwards along an arm, the angle turns `turns` times (unwrapped angle span).
    arm = data.X[labels == 0]
    span = np.ptp(np.unwrap(np.arctan2(arm[:, 1], arm[:, 0])))
    assert span == pytest.approx(2 * np.pi * 2.0 * 0.9, rel=1e-6)


def test_sine_and_polynomial_follow_their_curves():
    sine = make_dataset("sine", n_samples=21)
    assert sine.kind == "regression" and sine.X.shape == (21, 1) and sine.Y.shape == (21, 1)
    assert sine.X[0, 0] == pytest.approx(-np.pi) and sine.X[-1, 0] == pytest.approx(np.pi)
    np.testing.assert_allclose(sine.Y[:, 0], np.sin(sine.X[:, 0]), atol=1e-15)
    noisy = make_dataset("sine", n_samples=500, noise=0.1, seed=3)
    assert (noisy.Y[:, 0] - np.sin(noisy.X[:, 0])).std() == pytest.approx(0.1, rel=0.15)
    cubic = make_dataset("polynomial", n_samples=7)
    x = cubic.X[:, 0]
    np.testing.assert_allclose(cubic.Y[:, 0], x * x * x - x, atol=1e-15)
    assert x.min() == -1.5 and x.max() == 1.5


def test_lecture_sample():
    data = make_dataset("lecture")
    np.testing.assert_array_equal(data.X, [[0.05, 0.10]])
    np.testing.assert_array_equal(data.Y, [[0.01, 0.99]])
    assert data.target_names == ("y1", "y2")


def test_seeds_reproduce_and_differ():
    a = make_dataset("circles", n_samples=50, noise=0.1, seed=4)
    b = make_dataset("circles", n_samples=50, noise=0.1, seed=4)
    c = make_dataset("circles", n_samples=50, noise=0.1, seed=5)
    assert a.X.tobytes() == b.X.tobytes() and not np.array_equal(a.X, c.X)


def test_bad_requests_are_refused():
    with pytest.raises(KeyError, match="unknown data set 'moons'.*xor"):
        make_dataset("moons")
    with pytest.raises(ValueError, match="noise must be zero or positive"):
        make_dataset("sine", noise=-1.0)
    with pytest.raises(ValueError, match="at least 2 samples"):
        make_dataset("spirals", n_samples=1)
