package dev.weft.process;

import dev.weft.Pool;
import dev.weft.PoolContract;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * weft-core's pool contract, unchanged, against {@link ProcessPool#create(int)}.
 *
 * <p>Most of the contract's tests pass work that cannot run in another JVM: plain lambdas (not
 * {@code Serializable}) that count down latches, bump counters or throw an exception the test then
 * compares by identity. A process pool rightly fails such a task at once with {@link
 * UnsendableException}, so those tests are reported as disabled, by name, with that reason;
 * {@link ProcessPoolAsPoolTest} proves the same behaviours (order, progress, failures as thrown,
 * cancellation that kills the worker) with work that can cross. Listing them by name, rather than
 * the ones that run, makes a new contract test run here by default.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(ProcessPoolContractTest.InProcessStateOnly.class)
class ProcessPoolContractTest extends PoolContract {
  @Override
  protected Pool newPool(int concurrency) {
    return ProcessPool.create(ProcessPool.Options.workers(concurrency).withName("contract"));
  }

  /** Disables the contract tests whose work shares in-process state with the test. */
  static final class InProcessStateOnly implements ExecutionCondition {
    private static final Set<String> SHARES_IN_PROCESS_STATE =
        Set.of(
            "submitRunsTheWorkAndJoinReturnsItsResult",
            "submitWithANameNamesTheTask",
            "submittedFailureIsRethrownByJoinAsIs",
            "cancellingASubmittedTaskInterruptsIt",
            "mapReturnsResultsInInputOrder",
            "mapRethrowsTheFirstFailureAndInterruptsTheItemsStillRunning",
            "mapWrapsACheckedFailureOnceInTaskFailedException",
            "mapSettledReportsEveryOutcomeInInputOrder",
            "imapYieldsInInputOrderWhenLaterItemsFinishFirst",
            "imapRethrowsAFailureWhenItsTurnComes",
            "imapDrawsNoMoreThanTheLookAheadBeyondWhatWasConsumed",
            "imapOverAnEndlessInputRunsInBoundedMemory",
            "closingAnImapEarlyInterruptsTheItemsInFlight",
            "interruptWhileNextWaitsCancelsInFlightKeepsTheFlagAndThrowsCancellation",
            "imapUnorderedYieldsInCompletionOrder",
            "imapUnorderedRethrowsTheFirstFailureAndInterruptsTheRest",
            "imapUnorderedOverAnEndlessInputRunsInBoundedMemory",
            "imapUnorderedSettledYieldsEveryItemWithItsOutcome",
            "mapAsyncCompletesWithTheResultsInInputOrder",
            "mapAsyncFailsWithTheFirstFailure",
            "cancellingMapAsyncInterruptsItsItems",
            "mapAsyncRunsOnAPoolOfOne",
            "closeWaitsForAMapAsyncThatStillDrawsItsInput",
            "progressCountsDrawnDoneAndFailedItems",
            "progressOfAnImapCountsItemsAsTheyAreDrawnAndEnd",
            "progressWithAKnownTotalKeepsItsTotal",
            "noMoreThanMaxConcurrentTasksRunAtOnce",
            "closeWaitsForSubmittedWork",
            "shutdownNowCancelsRunningAndQueuedTasks",
            "statsCountTasksByHowTheyEnded");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      String test = context.getTestMethod().map(java.lang.reflect.Method::getName).orElse("");
      return SHARES_IN_PROCESS_STATE.contains(test)
          ? ConditionEvaluationResult.disabled(
              "its work is a plain lambda sharing in-process state with the test: it cannot be sent to a worker JVM")
          : ConditionEvaluationResult.enabled("its work can run in a worker JVM");
    }
  }
}
