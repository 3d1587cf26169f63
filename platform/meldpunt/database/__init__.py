"""The PostgreSQL backend under django-tenants' (settings.ORIGINAL_BACKEND), with query metrics."""
