package difftest

import "sync"

// All returns every scenario of the suite, in a fixed order. The scenarios
// are built once and shared: callers must not change them.
func All() []*Scenario { return all() }

var all = sync.OnceValue(func() []*Scenario {
	return []*Scenario{
		protocolScenario(),
		controlScenario(),
		keysScenario(),
		numbersScenario(),
		valuesScenario(),
		itemSizeScenario(),
		compareScenario(),
		functionsScenario(),
		grammarScenario(),
		updatesScenario(),
		conditionalScenario(),
		queriesScenario(),
		scansScenario(),
		indexesScenario(),
		backfillScenario(),
		batchesScenario(),
		transactionsScenario(),
		ttlScenario(),
		capacityScenario(),
		streamsScenario(),
	}
})
