// The ceiling every scenario is compared with: bare Express 5, no middleware, answering "hello".
const express = require('express');

const app = express();
app.get('/', (_req, res) => {
  res.send('hello');
});
app.listen(Number(process.env.PORT), '127.0.0.1');
