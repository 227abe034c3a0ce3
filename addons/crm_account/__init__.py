"""CRM and accounting: the customer's invoices, receipts and open balance on the 360° page."""
