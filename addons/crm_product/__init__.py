"""CRM and products: contract lines pick a product from the product catalogue."""
