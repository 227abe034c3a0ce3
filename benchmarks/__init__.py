"""Kangyi's benchmarks: ``python -m benchmarks [--quick] [--database URL]``.

Sections: order-to-cash throughput against a Core baseline (:mod:`.order_to_cash`), list and form
pages against a bare Flask app (:mod:`.pages`), reports against bare SQL (:mod:`.reports`),
gunicorn scale-out on PostgreSQL (:mod:`.scaleout`) and footprint (:mod:`.footprint`). See
``docs/benchmarks.md``.
"""
