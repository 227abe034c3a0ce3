"""Products: product lines (categories), products, units of measure with conversions, prices."""
