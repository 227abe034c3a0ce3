"""CRM and inventory: return visits after deliveries, deliveries on the customer 360° page."""
