// Ink imports react-devtools-core only when DEV=true; the bundle must still resolve it.
export default {};
