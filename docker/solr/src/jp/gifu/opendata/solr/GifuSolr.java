package jp.gifu.opendata.solr;

import java.lang.reflect.Field;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Apache Solr 9 (solr-core from Maven Central) in embedded Jetty: the Solr of the Docker image,
 * the same way the development Solr runs (dev/solr/DevSolr.java), on a given address.
 *
 * <p>Usage: {@code GifuSolr SOLR_HOME PORT HOST}. SOLR_HOME holds solr.xml and the core folders.
 * JettySolrRunner binds to 127.0.0.1 (it is made for tests); in a container Solr must answer the
 * other containers, so its connector is moved to HOST before Jetty starts. SIGTERM stops Jetty and
 * closes the cores cleanly.
 */
public final class GifuSolr {
    private GifuSolr() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: GifuSolr SOLR_HOME PORT HOST");
            System.exit(2);
        }
        JettyConfig config = JettyConfig.builder()
                .setPort(Integer.parseInt(args[1]))
                .setContext("/solr")
                .stopAtShutdown(true)
                .useOnlyHttp1(true)
                .build();
        JettySolrRunner runner = new JettySolrRunner(args[0], config);
        Field field = JettySolrRunner.class.getDeclaredField("server");
        field.setAccessible(true);
        for (Connector connector : ((Server) field.get(runner)).getConnectors()) {
            ((ServerConnector) connector).setHost(args[2]);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        runner.start();
        System.out.println("Solr ready on http://" + args[2] + ":" + runner.getLocalPort() + "/solr");
        Thread.currentThread().join();
    }
}
