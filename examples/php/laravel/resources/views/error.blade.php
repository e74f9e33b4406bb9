@extends('layout')
@section('title', 'Sorry')
@section('content')
<p>{{ $message }}</p>
@endsection
