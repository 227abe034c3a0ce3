"""CRM: customer profiles, follow-ups, return visits, pipeline, contracts, segmentation."""

from .lifecycle import uninstall_hook

__all__ = ["uninstall_hook"]
