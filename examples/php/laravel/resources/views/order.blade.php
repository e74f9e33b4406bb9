@extends('layout')
@section('title', 'Order')
@section('content')
<p>Order <code id="out-trade-no">{{ $no }}</code>, HK${{ number_format($order['amount'] / 100, 2) }}</p>
<p>State: <strong id="state">{{ $state }}</strong></p>
<p>Notifications received: <span id="notifications">{{ count($order['notifications']) }}</span></p>
@if ($state === 'pending')
  <div id="qr">{!! QfPay\Qr::svg($order['qrcode']) !!}</div>
  <p>Scan with WeChat to pay. <a href="">Refresh</a></p>
  <form method="post" action="{{ route('orders.close', $no) }}">@csrf<button>Cancel this order</button></form>
@elseif ($state === 'succeeded' || $state === 'partially_refunded')
  <form method="post" action="{{ route('orders.refund', $no) }}">@csrf
    <input name="amount" value="{{ $order['amount'] }}"> <button>Refund</button>
  </form>
@endif
@endsection
