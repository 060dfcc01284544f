# shellcheck shell=bash
# Sourced by the Solr image's start-up (run-initdb, before the core is created or loaded).
# The `ckan` core's configuration is copied from the image's configset only when the core is first
# created on the solr_data volume. When a newer image brings a changed schema, copy it into the
# existing core here, so that Solr loads the schema of the image it runs. Documents indexed with
# the old schema stay as they are until `ckan search-index rebuild` (see docker/README.md).
gifu_sync_schema() {
  local src=/opt/solr/server/solr/configsets/ckan/conf
  local core=/var/solr/data/ckan/conf
  [ -d "$core" ] || return 0
  if ! cmp -s "$src/managed-schema.xml" "$core/managed-schema.xml"; then
    cp "$src/managed-schema.xml" "$core/managed-schema.xml"
    rm -f "$core/managed-schema" "$core/schema.xml"
    echo "gifu: the image's schema replaced the core's schema: run 'ckan search-index rebuild'"
  fi
  local f
  for f in /opt/gifu-solr/*.txt; do
    if [ -f "$f" ] && ! cmp -s "$f" "$core/$(basename "$f")"; then
      cp "$f" "$core/"
      echo "gifu: updated $(basename "$f") in the core"
    fi
  done
}
gifu_sync_schema
