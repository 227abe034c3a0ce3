"""CRM: customer profiles, follow-ups, return visits, pipeline, contracts, segmentation."""
