"""MLP Explorer: step through backpropagation in a multi-layer perceptron, number by number."""

__version__ = "0.1.0"
