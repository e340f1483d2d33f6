package difftest

// All returns every scenario of the suite, in a fixed order.
func All() []*Scenario {
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
	}
}
