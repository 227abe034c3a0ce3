"""Sales (SA-003 steps 1, 2, 4 and 7): orders with approval, delivery notices, invoicing notices,
payment collection. Works alone; stock and accounting join in through the hooks of
``hookspecs.py``."""
