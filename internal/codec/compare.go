package codec

// CompareNumbers orders two DynamoDB number texts by value, as DynamoDB
// does (-1, 0 or +1); texts that are not numbers sort after numbers.
func CompareNumbers(x, y string) int { return compareNumbers(x, y) }
