"""The network graph: layout, label fitting, batched items, interaction and zoom."""
