package jp.gifu.opendata.devsolr;

import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Runs a real Apache Solr 9 (solr-core) in embedded Jetty on 127.0.0.1 for development and CI.
 *
 * <p>Usage: {@code DevSolr SOLR_HOME PORT}. SOLR_HOME holds solr.xml and the core folders
 * (dev/services.sh lays them out). The process serves http://127.0.0.1:PORT/solr until it is
 * stopped (SIGTERM stops Jetty and closes the cores cleanly).
 */
public final class DevSolr {
    private DevSolr() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DevSolr SOLR_HOME PORT");
            System.exit(2);
        }
        String solrHome = args[0];
        int port = Integer.parseInt(args[1]);
        JettyConfig config = JettyConfig.builder()
                .setPort(port)
                .setContext("/solr")
                .stopAtShutdown(true)
                .useOnlyHttp1(true)
                .build();
        JettySolrRunner runner = new JettySolrRunner(solrHome, config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        runner.start();
        System.out.println("Solr ready on http://127.0.0.1:" + runner.getLocalPort() + "/solr");
        Thread.currentThread().join();
    }
}
