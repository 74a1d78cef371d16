"""The helpers the page scripts share (pages/ holds the pages only); they may import mnist_core."""
