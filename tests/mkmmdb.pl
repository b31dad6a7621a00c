#!/usr/bin/perl
#
# mkmmdb.pl DIR - write the small MaxMind-format databases the GeoIP tests
# read: country-geolite2.mmdb (country.iso_code, GeoLite2 schema),
# country-iplocdb.mmdb (country_code, ip-location-db schema) and asn.mmdb
# (autonomous_system_number/_organization, GeoLite2-ASN schema).
#
# The tests build their databases instead of shipping binaries so that the
# data they assert on is readable here.  Only documentation ranges are
# used, hence remove_reserved_networks => 0 (the writer drops them
# otherwise).  The trees are IPv6 with IPv4 in ::/96 and aliased from
# ::ffff:0:0/96, which is how MaxMind's own files are laid out.
#
# Exit 77 (automake's "skip") when MaxMind::DB::Writer is not installed.

use strict;
use warnings;

BEGIN {
	unless (eval { require MaxMind::DB::Writer::Tree; 1 }) {
		print STDERR "MaxMind::DB::Writer::Tree missing "
		    . "(Debian: libmaxmind-db-writer-perl)\n";
		exit 77;
	}
}

my $dir = shift @ARGV or die "usage: $0 DIR\n";

my %types = (
	country				=> 'map',
	iso_code			=> 'utf8_string',
	names				=> 'map',
	en				=> 'utf8_string',
	country_code			=> 'utf8_string',
	autonomous_system_number	=> 'uint32',
	autonomous_system_organization	=> 'utf8_string',
);

# network => [country, asn, organisation]
my @nets = (
	['192.0.2.0/24',	'CN', 4134,  'CHINANET-BACKBONE'],
	['198.51.100.0/24',	'DE', 24940, 'Hetzner Online GmbH'],
	['203.0.113.0/24',	'US', 15169, 'Google LLC'],
	['2001:db8::/32',	'RU', 12389, 'PJSC Rostelecom'],
	['3fff::/20',		'KP', 131279, 'Star JV'],
);

sub tree {
	my ($type) = @_;
	return MaxMind::DB::Writer::Tree->new(
	    ip_version			=> 6,
	    record_size			=> 24,
	    database_type		=> $type,
	    languages			=> ['en'],
	    description			=> { en => "bmcwatch test $type" },
	    map_key_type_callback	=> sub { $types{ $_[0] } },
	    alias_ipv6_to_ipv4		=> 1,
	    remove_reserved_networks	=> 0,
	);
}

sub write_db {
	my ($tree, $name) = @_;
	my $path = "$dir/$name";
	open(my $fh, '>:raw', $path) or die "$path: $!\n";
	$tree->write_tree($fh);
	close($fh) or die "$path: $!\n";
}

my $geolite = tree('GeoLite2-Country');
my $iploc = tree('ip-location-db-country');
my $asn = tree('GeoLite2-ASN');
for my $n (@nets) {
	my ($net, $cc, $as, $org) = @$n;
	$geolite->insert_network($net,
	    { country => { iso_code => $cc, names => { en => $cc } } });
	$iploc->insert_network($net, { country_code => $cc });
	$asn->insert_network($net, {
	    autonomous_system_number => $as,
	    autonomous_system_organization => $org,
	});
}
write_db($geolite, 'country-geolite2.mmdb');
write_db($iploc, 'country-iplocdb.mmdb');
write_db($asn, 'asn.mmdb');
exit 0;
