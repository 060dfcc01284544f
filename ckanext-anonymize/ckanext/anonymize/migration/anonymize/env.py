"""Alembic environment of the anonymize plugin: its own version table, its own tables only."""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from ckan.model.meta import metadata
from sqlalchemy import engine_from_config, pool

config = context.config
fileConfig(config.config_file_name)
target_metadata = metadata
name = os.path.basename(os.path.dirname(__file__))
version_table = f"{name}_alembic_version"


def include_object(obj, object_name, type_, reflected, compare_to):
    return object_name.startswith(name) if type_ == "table" else True


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        version_table=version_table,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = engine_from_config(
        config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table=version_table,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
