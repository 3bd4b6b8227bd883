from shield.statistics.models.privacy import PrivacySpend

__all__ = ["PrivacySpend"]
