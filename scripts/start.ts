/**
 * `npm start`: brings the product up locally on embedded defaults.
 * Parts register here as they exist; until then this prints what is available and exits 0.
 */
console.log("KAM for Excel — local start");
console.log("Available now: the domain engine in shared/ (npm test runs its suite).");
