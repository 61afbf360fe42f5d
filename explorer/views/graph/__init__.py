"""The network graph: one QGraphicsView and what it is made of.

view         NetworkGraphView: builds the items from the document and answers what is drawn where
interaction  GraphInteraction, owned by the view: mouse, wheel, keys, tooltips and the in-place editor
zoom         GraphZoom, owned by the view: fit to the window (choosing the layout) and zoom
label_fit    where edge labels go, in which style, and which layout shape shows the text largest
layout       the geometry (no Qt): columns, rows, edge segments, hit tests
edges, neurons, labels, overlay   the graphics items: batched edges, neurons, edge labels; headings
                                  and the selection
text         what the graph writes: numbers, labels, headings, tooltips
gestures     nudging a value by Ctrl+drag or Ctrl+wheel, one undo step a gesture
editor       the in-place editor widget
colors       the graph's colours, from the palette
"""
