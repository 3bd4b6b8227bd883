import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from shield.core import encryption
from shield.core.encryption import EncryptedTextField

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def test_round_trip_and_the_stored_form_hides_the_text(settings):
    settings.SHIELD_ENCRYPTION_KEYS = [OLD]
    stored = encryption.encrypt("Số điện thoại của mẹ: 0912 345 678")
    assert stored.startswith(encryption.PREFIX)
    assert "0912" not in stored
    assert encryption.decrypt(stored) == "Số điện thoại của mẹ: 0912 345 678"


def test_rotation_keeps_old_values_readable_and_reencrypt_moves_them_to_the_new_key(settings):
    settings.SHIELD_ENCRYPTION_KEYS = [OLD]
    stored = encryption.encrypt("narrative")
    settings.SHIELD_ENCRYPTION_KEYS = [NEW, OLD]
    assert encryption.decrypt(stored) == "narrative"
    rotated = encryption.reencrypt(stored)
    settings.SHIELD_ENCRYPTION_KEYS = [NEW]
    assert encryption.decrypt(rotated) == "narrative"
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        encryption.decrypt(stored)


def test_no_keys_is_a_configuration_error(settings):
    settings.SHIELD_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="empty"):
        encryption.encrypt("x")


def test_field_encrypts_on_the_way_in_and_decrypts_on_the_way_out(settings):
    settings.SHIELD_ENCRYPTION_KEYS = [OLD]
    field = EncryptedTextField()
    stored = field.get_prep_value("secret")
    assert stored != "secret"
    assert field.from_db_value(stored, None, None) == "secret"
    assert field.get_prep_value("") == ""
    assert field.get_prep_value(None) is None
