package dev.semlb.extproc;

import dev.semlb.config.Launcher;
import dev.semlb.extproc.eval.EvalCommand;
import dev.semlb.extproc.eval.TrainCommand;
import java.util.Arrays;

/**
 * Entry point: {@code java -jar ext-proc-service.jar [--port 50051] [--host 0.0.0.0] [--routing
 * config/routing.yaml] [--threads N] [--drain 2s] [--watch true]}. Each flag may instead come from
 * its variable, e.g. {@code SEMLB_PORT}.
 *
 * <p>{@code java -jar ext-proc-service.jar eval ...} runs the {@link EvalCommand} instead, and
 * {@code train ...} the {@link TrainCommand}.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("eval")) {
      System.exit(
          EvalCommand.run(
              Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
    }
    if (args.length > 0 && args[0].equals("train")) {
      System.exit(
          TrainCommand.run(
              Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
    }
    Launcher.run("ext-proc-service", args, ServiceConfig::fromFlags, ExtProcServer::start);
  }
}
