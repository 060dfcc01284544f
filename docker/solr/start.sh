#!/bin/bash
# Start Solr: the configuration from the image (/opt/solr/home), the index on the volume (/var/solr).
#   SOLR_HEAP  heap size (e.g. 512m, 1g)      SOLR_OPTS  more JVM options (-D...)
set -euo pipefail
read -r -a extra <<< "${SOLR_OPTS:-}"
exec java -Xms"${SOLR_HEAP:-1g}" -Xmx"${SOLR_HEAP:-1g}" -Djava.awt.headless=true \
  -Dsolr.install.dir=/opt/solr -Dsolr.data.home=/var/solr/data -Dsolr.log.dir=/var/solr \
  -Dlog4j2.configurationFile=/opt/solr/log4j2.xml \
  "${extra[@]}" \
  -cp "/opt/solr/classes:/opt/solr/lib/*" jp.gifu.opendata.solr.GifuSolr /opt/solr/home 8983 0.0.0.0
