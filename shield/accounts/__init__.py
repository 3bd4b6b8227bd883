"""Who people are in Shield: users, agencies, memberships with roles and scopes, and the access policy."""
